/** The picocli commands. */
package io.splitroute.cli;
