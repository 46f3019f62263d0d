/** JMH benchmarks of the set writers against the real kernel (run with org.openjdk.jmh.Main, see the module README). */
package io.splitroute.sink.bench;
