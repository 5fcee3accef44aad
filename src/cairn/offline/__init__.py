"""Offline mode: track to a local spool when the server is out of reach, upload with
``cairn sync`` later (docs/offline.md).

``spool`` owns the spool's files, ``mode`` decides when a process tracks offline, ``export``
reads a spool run as a ``RunBundle`` and ``sync`` replays bundles on the target store. This
package file imports nothing, so the store registry can use ``mode`` without loading the rest.
"""
