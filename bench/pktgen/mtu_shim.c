/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mtu_shim: an LD_PRELOAD library for Pktgen-DPDK on net_memif.
 *
 * Pktgen-DPDK 23.03 sets the MTU of every port at start and panics when
 * that fails ("Cannot set MTU 1500 on port 0"). net_memif (DPDK 22.11)
 * has no mtu_set op, so rte_eth_dev_set_mtu returns -ENOTSUP, although
 * the ring carries 1500-byte frames (its buffer size, 2048, bounds it).
 * This wrapper answers 0 for that one error and passes every other result
 * through, so pktgen still stops on a real MTU failure.
 *
 *   cc -shared -fPIC -O2 $(pkg-config --cflags libdpdk) -o mtu_shim.so mtu_shim.c -ldl
 *   LD_PRELOAD=./mtu_shim.so pktgen ...
 *
 * bench/pktgen/run.sh builds and uses it. Not linked into anything of ours.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ethdev.h>

typedef int (*set_mtu_fn)(uint16_t port_id, uint16_t mtu);

int
rte_eth_dev_set_mtu(uint16_t port_id, uint16_t mtu)
{
	static set_mtu_fn real;
	int ret;

	/* pktgen's main thread sets the MTUs one port after the other,
	 * before any lcore runs: no race on the lazy lookup. */
	if (real == NULL)
		real = (set_mtu_fn)dlsym(RTLD_NEXT, "rte_eth_dev_set_mtu");
	if (real == NULL)
		return -ENOSYS;
	ret = real(port_id, mtu);
	if (ret == -ENOTSUP) {
		fprintf(stderr, "mtu_shim: port %u cannot set its MTU (%u): kept as is\n",
			port_id, mtu);
		return 0;
	}
	return ret;
}
