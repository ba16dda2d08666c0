defmodule FanoutBench.Agent do
  @moduledoc false
  # Helpers that run INSIDE the service's VM (bench/elixir-capacity.ts): the simulated-session
  # script requires this file, the websocket client node loads its compiled binary onto the
  # service node over distribution. Everything here calls the service's own core
  # (`<Core>.Fanout`) the way the service does; nothing replaces the fan-out path.

  @doc "erlang:memory/0 as a map with string keys, plus the VM's resident set from /proc."
  def memory do
    m = Map.new(:erlang.memory(), fn {k, v} -> {Atom.to_string(k), v} end)

    Map.merge(m, %{
      "rssBytes" => rss_bytes(),
      "processCount" => :erlang.system_info(:process_count),
      "portCount" => :erlang.system_info(:port_count)
    })
  end

  def rss_bytes do
    case File.read("/proc/self/status") do
      {:ok, status} ->
        [_, kb] = Regex.run(~r/VmRSS:\s+(\d+) kB/, status)
        String.to_integer(kb) * 1024

      _ ->
        0
    end
  end

  def fanout(core), do: Module.concat(core, Fanout)

  def sessions(core), do: fanout(core).sessions()

  @doc """
  Subscribes every open session to `topic` through the real `Session.subscribe/2` (index and
  presence), `concurrency` at a time; returns how many calls did not return `{:ok, _}`.
  """
  def subscribe_all(core, topic, concurrency) do
    session = Module.concat(fanout(core), Session)

    sessions(core)
    |> Task.async_stream(fn pid -> session.subscribe(pid, topic) end, max_concurrency: concurrency, ordered: false, timeout: :infinity)
    |> Enum.count(&(not match?({:ok, {:ok, _}}, &1)))
  end

  @doc "How long an idle session and an idle websocket process wait before they hibernate (ms)."
  def hibernate_after_ms(core) do
    app = core |> Module.split() |> List.last() |> Macro.underscore() |> String.to_atom()
    web = String.to_atom("#{app}_web")
    session = Keyword.get(Application.get_env(app, :session, []), :hibernate_after_ms, 15_000)
    socket = Keyword.get(Application.get_env(web, :socket, []), :hibernate_after_ms, 15_000)
    max(session, socket)
  end

  @doc "Share of the sessions, and of their transports, that are hibernating right now."
  def hibernating(core) do
    sessions = sessions(core)
    share = fn pids -> Enum.count(pids, &(Process.info(&1, :current_function) == {:current_function, {:erlang, :hibernate, 3}})) / max(1, length(pids)) end
    %{"sessions" => share.(sessions), "transports" => share.(transports(sessions))}
  end

  @doc """
  Process memory (bytes) of the sessions and of their transports, in total and split into the
  sessions of `topic` (they took that topic's presence frames while it filled) and the others.
  """
  def process_memory(core, topic) do
    sessions = sessions(core)
    in_topic = MapSet.new(fanout(core).subscribers(topic))
    {a, b} = Enum.split_with(sessions, &MapSet.member?(in_topic, &1))
    group = fn pids -> %{"sessions" => length(pids), "sessionBytesAvg" => avg(pids), "transportBytesAvg" => avg(transports(pids))} end

    %{
      "sessions" => length(sessions),
      "sessionBytes" => sum_memory(sessions),
      "transportBytes" => sum_memory(transports(sessions)),
      "groups" => %{topic => group.(a), "others" => group.(b)}
    }
  end

  defp transports(pids) do
    for pid <- pids, state = safe_state(pid), state != nil, do: state.transport
  end

  defp safe_state(pid) do
    :sys.get_state(pid)
  catch
    :exit, _ -> nil
  end

  defp avg([]), do: 0
  defp avg(pids), do: sum_memory(pids) / length(pids)

  defp sum_memory(pids) do
    Enum.reduce(pids, 0, fn pid, acc ->
      case Process.info(pid, :memory) do
        {:memory, bytes} -> acc + bytes
        nil -> acc
      end
    end)
  end

  @doc "Publishes through the core; returns the wall clock (µs) before and after, and the fan-out size."
  def publish(core, topic, data) do
    t0 = :os.system_time(:microsecond)
    n = fanout(core).publish(topic, data)
    {t0, :os.system_time(:microsecond), n}
  end

  @doc "Waits until the core's delivered counter has not moved for `quiet_ms`."
  def settle(core, quiet_ms \\ 300, last \\ -1) do
    delivered = fanout(core).stats().delivered

    if delivered == last do
      :ok
    else
      Process.sleep(quiet_ms)
      settle(core, quiet_ms, delivered)
    end
  end

  # ---- receipt bookkeeping (atomics, no collector process in the delivery path) ----
  # slot 1/2: event frames received / latest receipt (µs); 3/4: closes / latest close;
  # 5/6: reconnect notices / latest.

  def new_counters, do: :atomics.new(7, signed: true)

  def received(ref, count_slot, max_slot) do
    bump_max(ref, max_slot, :os.system_time(:microsecond))
    :atomics.add(ref, count_slot, 1)
  end

  defp bump_max(ref, slot, t) do
    current = :atomics.get(ref, slot)

    if t > current do
      case :atomics.compare_exchange(ref, slot, current, t) do
        :ok -> :ok
        _ -> bump_max(ref, slot, t)
      end
    end
  end

  def reset(ref, slots), do: Enum.each(slots, &:atomics.put(ref, &1, 0))

  @doc "Polls slot `slot` until it reaches `n`; false on timeout."
  def await(ref, slot, n, timeout_ms) do
    deadline = System.monotonic_time(:millisecond) + timeout_ms
    await_until(ref, slot, n, deadline)
  end

  defp await_until(ref, slot, n, deadline) do
    cond do
      :atomics.get(ref, slot) >= n ->
        true

      System.monotonic_time(:millisecond) > deadline ->
        false

      true ->
        Process.sleep(1)
        await_until(ref, slot, n, deadline)
    end
  end

  @doc "A 1 KiB JSON string payload carrying its sequence number at the front."
  def payload(seq) do
    head = "seq:#{seq}:"
    head <> String.duplicate("x", 1024 - byte_size(head))
  end

  @doc "Median, p99 (nearest rank), min, max of the samples, and their count."
  def percentiles(samples) do
    sorted = Enum.sort(samples)
    n = length(sorted)
    rank = fn p -> Enum.at(sorted, max(0, ceil(p * n) - 1)) end

    %{
      "p50" => rank.(0.5),
      "p99" => rank.(0.99),
      "min" => List.first(sorted),
      "max" => List.last(sorted),
      "samples" => n
    }
  end
end
