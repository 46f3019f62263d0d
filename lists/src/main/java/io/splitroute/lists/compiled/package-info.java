/**
 * Rule tables compiled once and mapped at start: {@link io.splitroute.lists.compiled.RuleTableSpec} names
 * what a table is compiled from (routes, inline rules, list files) without reading the lists, and
 * {@link io.splitroute.lists.compiled.CompiledRuleTables#load} maps the table from its file when the file
 * is current (same spec, same list contents, same splitroute and JDK), else reads the lists, compiles, and
 * writes the file for the next start. A stale or corrupt file is rebuilt, never trusted.
 */
package io.splitroute.lists.compiled;
