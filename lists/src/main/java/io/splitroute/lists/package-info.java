/**
 * Domain lists for splitroute: reading the formats users have ({@code .format}), the compiled rule table
 * that routes a name ({@code .rule}) and the matcher beneath it ({@code .match}). {@link
 * io.splitroute.lists.BundledLists} gives the lists shipped with the module. No Netty, no dnsjava: only the JDK.
 */
package io.splitroute.lists;
