# Generous receive timeouts: CI machines are small and shared.
ExUnit.start(assert_receive_timeout: 2_000)
