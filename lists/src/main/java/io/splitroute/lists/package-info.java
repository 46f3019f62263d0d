/**
 * Domain and IP lists for splitroute: reading the formats users have ({@code .format}), the compiled rule
 * table that routes a name ({@code .rule}), the matcher and name index beneath it ({@code .match}), the
 * table kept in a file and mapped at start ({@code .compiled}), IP lists ({@code .ip}) and downloads
 * ({@code .update}). {@link io.splitroute.lists.BundledLists} gives the lists shipped with the module and
 * resolves {@code bundled:} names. No Netty, no dnsjava: only the JDK.
 */
package io.splitroute.lists;
