/** The ipset dialect: {@link io.splitroute.sink.ipset.IpsetWriter} speaks nfnetlink subsystem 6 (ipset). */
package io.splitroute.sink.ipset;
