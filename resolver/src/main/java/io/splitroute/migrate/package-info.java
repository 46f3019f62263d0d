/**
 * Moving from dnsmasq: its config and list files turned into splitroute YAML ({@code import-dnsmasq}). Kept
 * apart from {@code cli}, which only parses arguments, because the conversion is tested and used on its own.
 */
package io.splitroute.migrate;
