/**
 * The kernel-set feature, in one place: its config slice ({@link io.splitroute.sets.SetsConfig}), what an answer
 * may write (the addresses its question earned through its CNAME chain, {@link io.splitroute.sets.AnswerAddresses},
 * out-of-chain records scrubbed below the cache by {@link io.splitroute.sets.AnswerScrubber}, never-route and the
 * per-answer cap in {@link io.splitroute.sets.AddressFilter}), element timeouts, the set-write stage
 * ({@link io.splitroute.sets.SetWriteStage}), the writer it opens and times, its start-up check and its meters.
 * See README.md beside this file.
 */
package io.splitroute.sets;
