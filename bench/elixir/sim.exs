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
[n, publishes_small, publishes_all, drain?] = Enum.map(System.argv(), &String.to_integer/1)
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

# The 1k topic through the real subscribe (with presence: each join is announced to the topic).
t = System.monotonic_time(:microsecond)
small_sessions = Enum.take(fanout.sessions(), small)
for s <- small_sessions, do: {:ok, _} = session_mod.subscribe(s, small_topic)
Agent.settle(core)
small_join_ms = ms.(t)

t = System.monotonic_time(:microsecond)
:ok = Agent.register_all(core, all_topic)
register_all_ms = ms.(t)
Agent.settle(core)
m2 = Agent.memory()
# Sessions of the 1k topic took its presence frames while it filled (their heaps grew with their
# mailboxes): reported apart from the sessions only on the all-sessions topic.
proc = Agent.process_memory(core, small_topic)

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

# Drain unthrottled (window 0): the raw cost of telling every session; the service spreads the
# same work over its preStop window. Optional (4th argument): each ending session leaves the
# all-sessions topic, and Registry's unregister / exit clean-up scans that key's entries in its
# partition, so the drain of one big topic grows with N² (minutes at 100k).
drain =
  if drain? == 1 do
    Agent.reset(ref, [3, 4])
    t_wall = :os.system_time(:microsecond)
    t = System.monotonic_time(:microsecond)
    left = fanout.drain(window_ms: 0, grace_ms: 600_000)
    drain_ms = ms.(t)
    told = :atomics.get(ref, 3)
    last_told_ms = (:atomics.get(ref, 4) - t_wall) / 1000
    fanout.set_draining(false)
    %{"windowMs" => 0, "ms" => drain_ms, "lastToldMs" => last_told_ms, "told" => told, "left" => left}
  end

delta = fn key -> m2[key] - m1[key] end

result = %{
  "sessions" => n,
  "smallTopic" => small,
  # Subscribers the publishes reached: sessions evicted as slow consumers by the presence storm
  # of the 1k topic's joins (frames queued faster than their sink was scheduled) are gone.
  "reached" => %{"smallTopic" => small_reached, "allTopic" => all_reached},
  "evictedWhileJoining" => evicted_while_joining,
  "setupMs" => %{"open" => open_ms, "join1kWithPresence" => small_join_ms, "registerAll" => register_all_ms},
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
    "byGroup" => proc["groups"]
  },
  "fanout1k" => small_latency,
  "fanoutAll" => all_latency,
  "drain" => drain,
  "schedulers" => System.schedulers_online(),
  "otp" => System.otp_release(),
  "elixir" => System.version()
}

IO.puts("BENCH_RESULT " <> IO.iodata_to_binary(json.encode(result)))
