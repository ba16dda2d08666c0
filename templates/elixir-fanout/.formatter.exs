[
  inputs: ["mix.exs", "config/*.exs"],
  subdirectories: ["apps/*"],
  line_length: 120
]
