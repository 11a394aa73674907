"""The demo organisation: real git repositories of a made-up company, evolved over guild meetings.

`build_demo` builds it and yields one `DemoStep` per step; `build_organisation` builds only the
initial state, for benchmarks. What the organisation contains is `data/demo_org.yaml`.
"""

from demo.generate import DemoStep, build_demo, build_organisation

__all__ = ["DemoStep", "build_demo", "build_organisation"]
