#!/bin/sh
# iproute2 over NETLINK_ROUTE, lo only (the host has other interfaces, Jux only lo): its link,
# addresses and local routes, each family, the default policy rules, route lookups; net-tools'
# ifconfig (SIOCGIFCONF, /proc/net); and Python's if_nameindex (libc's netlink dump).
ip addr show lo
ip link show dev lo
ip -4 addr show dev lo
ip -6 addr show dev lo
ip -s link show lo | head -2
ip route show table local dev lo
ip -6 route show table local dev lo
ip -o link show lo
ip rule
ip -6 rule
ip route get 127.0.0.1
ip route get 127.1.2.3
ip route get 127.255.255.255
ip -6 route get ::1
command -v ifconfig >/dev/null && ifconfig lo | head -4
python3 -c 'import socket; print([i for i in socket.if_nameindex() if i[1] == "lo"])'
