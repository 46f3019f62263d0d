/**
 * Domain-name normalisation and the generic matcher: full, suffix (on whole labels), keyword and
 * regular-expression rules mapped to values of any type.
 *
 * <p>Names are normalised once at the door with {@link io.splitroute.lists.match.DomainNames}; the
 * {@link io.splitroute.lists.match.DomainMatcher} then works on lower-case ASCII names only and does not
 * allocate on its fast path.
 */
package io.splitroute.lists.match;
