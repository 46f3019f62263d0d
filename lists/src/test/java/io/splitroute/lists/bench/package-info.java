/**
 * Benchmarks of the lists module (JMH {@code RuleTableBenchmark}, the {@code RuleTableHeap} measurement,
 * and {@code DnsmasqConfWriter} for the dnsmasq comparison); not tests. Commands: {@code lists/README.md}.
 */
package io.splitroute.lists.bench;
