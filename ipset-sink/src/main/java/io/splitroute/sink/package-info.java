/**
 * Kernel set writers: the public entry {@link io.splitroute.sink.SetWriter}, its targets and results, the
 * {@link io.splitroute.sink.BatchingSetWriter} the resolver uses (one platform thread per netlink socket,
 * many callers' elements grouped into one kernel message), {@link io.splitroute.sink.KernelSetWriter}
 * (ipset and nftables behind one writer), and the in-memory {@link io.splitroute.sink.RecordingSetWriter}
 * and {@link io.splitroute.sink.NoopSetWriter}.
 */
package io.splitroute.sink;
