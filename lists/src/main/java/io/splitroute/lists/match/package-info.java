/**
 * Domain-name normalisation and the matchers: the generic {@link io.splitroute.lists.match.DomainMatcher}
 * (full, suffix on whole labels, keyword and regular-expression keys mapped to values of any type) and
 * {@link io.splitroute.lists.match.NameIndex}, its full and suffix lookup over a flat layout in a
 * {@link java.lang.foreign.MemorySegment}, which the rule table uses, on the heap or mapped from a file.
 *
 * <p>Names are normalised once at the door with {@link io.splitroute.lists.match.DomainNames}; lookups then
 * fold ASCII case as they hash and do not allocate on their fast path.
 */
package io.splitroute.lists.match;
