/** Tests of the distribution: the launcher and the tarball, run by failsafe after {@code package}. */
package io.splitroute.dist;
