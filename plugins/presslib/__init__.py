"""The press's shared library: one model of the tree that every plugin uses.

Not a Pelican plugin itself (it has no ``register``): the plugins in
``plugins/press_*`` import it.
"""
