{:ok, _} = Application.ensure_all_started(:gun)
ExUnit.start()
