/**
 * Names on no list ({@code unlisted:}): both upstream groups asked at once, the domestic answer served when
 * every address in it is in the {@code domestic-ips} IP lists, the trusted one otherwise and written to the
 * sets ({@link io.splitroute.unlisted.UnlistedStage}, {@link io.splitroute.unlisted.VerdictRules}); the
 * verdicts remembered per name ({@link io.splitroute.unlisted.VerdictCache}), their meters, and the config
 * slice ({@link io.splitroute.unlisted.UnlistedConfig}).
 */
package io.splitroute.unlisted;
