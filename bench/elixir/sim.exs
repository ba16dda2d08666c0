# Simulated sessions, in the service's own VM: `mix run <this file> N PUBLISHES_1K PUBLISHES_ALL`
# in a rendered elixir-fanout service (bench/elixir-capacity.ts does it). N real
# `<Core>.Fanout.Session` processes, opened with `Fanout.open_session/2` and fed by
# `Fanout.publish/2`; the transport of each is a tiny sink process instead of a websocket: it
# notes the receipt time of the event frame and acks the batch, as the websocket handler does
# once cowboy has written it. Prints one `BENCH_RESULT {json}` line.
Code.require_file("agent.ex", __DIR__)
alias FanoutBench.Agent

defmodule FanoutBench.Sink do
  @moduledoc false
  def loop(ref, session_mod) do
    receive do
      {:fanout_deliver, session, frames} ->
        if Enum.any?(frames, &(:binary.match(&1, "\"seq:") != :nomatch)), do: Agent.received(ref, 1, 2)
        session_mod.ack(session)
        loop(ref, session_mod)

      {:fanout_close, _reason} ->
        # The transport tells its client to reconnect and ends; the session sees it go.
        Agent.received(ref, 3, 4)
    end
  end
end

core = Module.concat([System.get_env("FANOUT_CORE", "Billing")])
fanout = Agent.fanout(core)
session_mod = Module.concat(fanout, Session)
json = Module.concat(core, JSON)
# DRAIN: 0 = none, 1 = unthrottled (window 0: the raw work), 2 = over the service's own window
# (config :<app>_web, drain_window_ms: the profile's preStop drain), as on SIGTERM.
[n, publishes_small, publishes_all, drain_mode] = Enum.map(System.argv(), &String.to_integer/1)
small = min(1000, n)
small_topic = "test.rooms.message.k1"
all_topic = "test.rooms.message.all"
ref = Agent.new_counters()
ms = fn t0 -> (System.monotonic_time(:microsecond) - t0) / 1000 end

Agent.settle(core, 100)
m0 = Agent.memory()
sinks = for _ <- 1..n, do: spawn(fn -> FanoutBench.Sink.loop(ref, session_mod) end)
m1 = Agent.memory()

t = System.monotonic_time(:microsecond)

for {sink, i} <- Enum.with_index(sinks) do
  {:ok, _} = fanout.open_session(sink, client_id: "c#{i}")
end

open_ms = ms.(t)

# The 1k topic: 1000 sessions subscribe at the same moment, through the real subscribe (index
# and presence; joins go out batched).
t = System.monotonic_time(:microsecond)
small_sessions = Enum.take(fanout.sessions(), small)

small_failed =
  small_sessions
  |> Task.async_stream(&session_mod.subscribe(&1, small_topic), max_concurrency: small, ordered: false, timeout: :infinity)
  |> Enum.count(&(not match?({:ok, {:ok, _}}, &1)))

Agent.settle(core)
small_join_ms = ms.(t)

# Every session on one topic, also through the real subscribe, 64 at a time.
t = System.monotonic_time(:microsecond)
all_failed = Agent.subscribe_all(core, all_topic, 64)
subscribe_all_ms = ms.(t)
Agent.settle(core)
m2 = Agent.memory()
# Right after the bursts (the presence frames of both topics filling): sessions of the 1k topic
# reported apart from those only on the all-sessions topic.
proc = Agent.process_memory(core, small_topic)

# Then idle past hibernate_after_ms: what a pod of idle sessions holds.
hibernate_after = Agent.hibernate_after_ms(core)
Process.sleep(hibernate_after + 3_000)
:erlang.garbage_collect()
m3 = Agent.memory()
proc_idle = Agent.process_memory(core, small_topic)
hibernating = Agent.hibernating(core)

# The fan-out size is what publish/2 reached: sessions evicted while the 1k topic filled are gone.
latency = fn topic, count ->
  for seq <- 1..count do
    Agent.reset(ref, [1, 2])
    {t0, t1, expected} = Agent.publish(core, topic, Agent.payload(seq))
    true = Agent.await(ref, 1, expected, 60_000)
    last = :atomics.get(ref, 2)
    Process.sleep(5)
    {(last - t0) / 1000, (t1 - t0) / 1000}
  end
end

summary = fn samples ->
  %{
    "lastReceiptMs" => Agent.percentiles(Enum.map(samples, &elem(&1, 0))),
    "publishCallMs" => Agent.percentiles(Enum.map(samples, &elem(&1, 1)))
  }
end

evicted_while_joining = fanout.stats().evicted
small_reached = length(fanout.subscribers(small_topic))
all_reached = length(fanout.subscribers(all_topic))
small_latency = summary.(latency.(small_topic, publishes_small))
all_latency = summary.(latency.(all_topic, publishes_all))

# The drain, every session on the all-sessions topic: unthrottled (window 0, the raw work), or
# spread over the service's own window as on SIGTERM. Told = the sinks got {:fanout_close,
# :draining}, which the websocket handler turns into the reconnect frame.
drain =
  if drain_mode in [1, 2] do
    app = core |> Module.split() |> List.last() |> Macro.underscore()
    window = if drain_mode == 2, do: Application.fetch_env!(String.to_atom("#{app}_web"), :drain_window_ms), else: 0
    open = length(fanout.sessions())
    Agent.reset(ref, [3, 4])
    t_wall = :os.system_time(:microsecond)
    t = System.monotonic_time(:microsecond)
    left = fanout.drain(window_ms: window, grace_ms: 600_000)
    drain_ms = ms.(t)
    told = :atomics.get(ref, 3)
    last_told_ms = (:atomics.get(ref, 4) - t_wall) / 1000
    fanout.set_draining(false)
    %{"windowMs" => window, "sessions" => open, "ms" => drain_ms, "lastToldMs" => last_told_ms, "told" => told, "left" => left}
  end

delta = fn key -> m2[key] - m1[key] end
idle_delta = fn key -> m3[key] - m1[key] end

result = %{
  "sessions" => n,
  "smallTopic" => small,
  # Subscribers the publishes reached: sessions evicted as slow consumers by the presence storm
  # of the 1k topic's joins (frames queued faster than their sink was scheduled) are gone.
  "reached" => %{"smallTopic" => small_reached, "allTopic" => all_reached},
  "evictedWhileJoining" => evicted_while_joining,
  "subscribeFailed" => %{"smallTopicAtOnce" => small_failed, "allTopic" => all_failed},
  "setupMs" => %{"open" => open_ms, "join1kAtOnce" => small_join_ms, "subscribeAll" => subscribe_all_ms},
  "memory" => %{
    "before" => m0,
    "withSinks" => m1,
    "withSessions" => m2,
    "sinkBytesPerSession" => (m1["total"] - m0["total"]) / n,
    "totalBytesPerSession" => delta.("total") / n,
    "processesBytesPerSession" => delta.("processes") / n,
    "etsBytesPerSession" => delta.("ets") / n,
    "rssBytesPerSession" => delta.("rssBytes") / n,
    "sessionProcessBytesPerSession" => proc["sessionBytes"] / n,
    "byGroup" => proc["groups"],
    "idle" => %{
      "afterMs" => hibernate_after + 3_000,
      "withSessions" => m3,
      "totalBytesPerSession" => idle_delta.("total") / n,
      "processesBytesPerSession" => idle_delta.("processes") / n,
      "rssBytesPerSession" => idle_delta.("rssBytes") / n,
      "sessionProcessBytesPerSession" => proc_idle["sessionBytes"] / n,
      "byGroup" => proc_idle["groups"],
      "hibernating" => hibernating
    }
  },
  "fanout1k" => small_latency,
  "fanoutAll" => all_latency,
  "drain" => drain,
  "schedulers" => System.schedulers_online(),
  "otp" => System.otp_release(),
  "elixir" => System.version()
}

IO.puts("BENCH_RESULT " <> IO.iodata_to_binary(json.encode(result)))
