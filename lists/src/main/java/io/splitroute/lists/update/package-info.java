/**
 * Downloads the lists that have a {@code url}, domain lists and IP lists ({@code format: cidr}) alike, and
 * replaces the file on disk only with a copy that is plausibly better than the one in service.
 *
 * <p>{@link io.splitroute.lists.update.ListUpdater} is the entry point: per {@link
 * io.splitroute.lists.update.ListSource} it makes a conditional GET ({@link
 * io.splitroute.lists.update.ListDownloader}, validators kept in {@code FILE.meta}) streamed into a
 * temporary file beside the list and capped at {@code max-bytes}, checks the download from there (it parses,
 * has at least {@code min-rules} rules, has not shrunk below {@code max-shrink} of the current copy) and
 * renames it over the list, keeping the previous copy as {@code FILE.prev} ({@link
 * io.splitroute.lists.update.ListFiles}). No list is held in memory whole. A bad download never replaces
 * the last good list. Each list ends as one {@link io.splitroute.lists.update.UpdateResult}: updated,
 * unchanged, rejected or failed.
 *
 * <p>{@link io.splitroute.lists.update.ListRefresher} runs the updater inside a server for lists with a
 * {@code refresh} interval. JDK only: {@code java.net.http}, no other dependency.
 */
package io.splitroute.lists.update;
