/**
 * Kernel set writers: the public entry {@link io.splitroute.sink.SetWriter} (writes, probes, creates and
 * {@linkplain io.splitroute.sink.SetWriter#inspect inspections}), its targets and results, the
 * {@link io.splitroute.sink.InlineSetWriter} the resolver uses (writes on the event loop that answers, a
 * bounded number of round trips each, never waiting past the write deadline),
 * {@link io.splitroute.sink.BatchingSetWriter} (one platform thread per netlink socket, many callers'
 * elements grouped into one kernel message), {@link io.splitroute.sink.KernelSetWriter} (ipset and
 * nftables behind one writer), and the in-memory {@link io.splitroute.sink.RecordingSetWriter} and
 * {@link io.splitroute.sink.NoopSetWriter}.
 */
package io.splitroute.sink;
