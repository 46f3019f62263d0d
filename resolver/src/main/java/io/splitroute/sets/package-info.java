/**
 * The kernel-set feature, in one place: its config slice ({@link io.splitroute.sets.SetsConfig}), the addresses
 * of an answer ({@link io.splitroute.sets.AnswerAddresses}), element timeouts, the set-write stage
 * ({@link io.splitroute.sets.SetWriteStage}), the writer it opens and times, its start-up check and its meters.
 * See README.md beside this file.
 */
package io.splitroute.sets;
