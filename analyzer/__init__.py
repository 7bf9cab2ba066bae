"""The pure core of nutrigap: DataFrames and plain values in, DataFrames and plain values out.

Nothing in this package reads files, talks to the network, prints or reads the clock (its
rules are in README.md beside this file). Reading meal logs from file objects is the one
exception to "no I/O": readers take an already-open binary file object and never open paths
themselves.
"""
