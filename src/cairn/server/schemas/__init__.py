"""Pydantic models of the API's JSON, one module per area, for the OpenAPI document only.

The web UI's TypeScript types are generated from that document; the server itself parses
requests in ``cairn.server.params`` and writes answers in ``cairn.wire``.
"""
