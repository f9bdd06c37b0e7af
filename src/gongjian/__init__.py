"""gongjian: command platform for pollution-prevention campaign offices (污染防治攻坚办).

Layers (see docs/architecture.md): ``standards`` and ``analytics`` are pure
(no Django, no I/O, no clock); the Django apps call them; ``gateway`` is the
HJ 212 receiver; ``demo`` builds the demo city; ``cli`` is the ``gongjian`` command.
"""

__version__ = "0.1.0"
