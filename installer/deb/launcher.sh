#!/bin/sh
# Installed as /usr/bin/{command}: starts the bundled program in /opt.
exec {target} "$@"
