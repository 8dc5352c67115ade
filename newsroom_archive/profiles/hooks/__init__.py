"""Named hooks: the few readings a profile cannot declare, one module per newsroom.

A module here is named like its newsroom and defines ``HOOKS``, a mapping of hook
name to a pure function from the text a field found to the field's value. A profile
that says ``hooks = "NAME"`` may use them as ``{ source = "…", hook = "…" }``.
"""
