/** Moving from dnsmasq: its config and list files turned into splitroute YAML. */
package io.splitroute.migrate;
