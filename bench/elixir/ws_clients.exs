# Real websocket clients over loopback, in a VM of their own (a distributed node next to the
# service's): `elixir --sname … --cookie … ws_clients.exs SERVER_NODE WS_PORT K PUBLISHES_1K
# PUBLISHES_ALL SOURCE_IPS`. Each client is one process with a raw gen_tcp socket speaking just
# enough RFC 6455 (upgrade, masked text frames, ping); clients bind to 127.0.0.2.. in turn so
# no source address runs out of ephemeral ports. The service node is driven over distribution
# with FanoutBench.Agent (its binary is loaded there): memory, publish, and finally SIGTERM to
# the service's OS process, which drains through its own Drainer. Receipt times are wall clock
# (:os.system_time), shared by both VMs on one machine. The core's ebin is on the code path
# (`-pa`) for its JSON encoder. Prints one `BENCH_RESULT {json}` line.
[{agent, agent_bin} | _] = Code.compile_file("agent.ex", __DIR__)
alias FanoutBench.Agent

defmodule FanoutBench.Client do
  @moduledoc false
  @ping_ms 50_000

  def start(parent, ref, ip, port, i) do
    spawn(fn -> connect(parent, ref, ip, port, i) end)
  end

  defp connect(parent, ref, ip, port, i) do
    opts = [:binary, active: false, ip: ip, nodelay: true, reuseaddr: true]

    with {:ok, socket} <- :gen_tcp.connect({127, 0, 0, 1}, port, opts, 30_000),
         :ok <- :gen_tcp.send(socket, upgrade(port, i)),
         {:ok, rest} <- handshake(socket, "") do
      :ok = :inet.setopts(socket, active: true)
      send(parent, {:ready, i})
      Process.send_after(self(), :ping, @ping_ms + :rand.uniform(5_000))
      # Anything read with the 101 response was already the first frames.
      if rest != "", do: seen(ref, rest)
      loop(socket, ref)
    else
      error -> send(parent, {:failed, i, error})
    end
  end

  defp upgrade(port, i) do
    key = Base.encode64(:crypto.strong_rand_bytes(16))

    "GET /ws?client_id=c#{i} HTTP/1.1\r\nHost: 127.0.0.1:#{port}\r\nUpgrade: websocket\r\n" <>
      "Connection: Upgrade\r\nSec-WebSocket-Key: #{key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
  end

  defp handshake(socket, acc) do
    case :binary.split(acc, "\r\n\r\n") do
      ["HTTP/1.1 101" <> _, rest] ->
        {:ok, rest}

      [other, _] ->
        {:error, {:upgrade, other}}

      [_] ->
        case :gen_tcp.recv(socket, 0, 30_000) do
          {:ok, data} -> handshake(socket, acc <> data)
          error -> error
        end
    end
  end

  defp loop(socket, ref) do
    receive do
      {:tcp, ^socket, data} ->
        seen(ref, data)
        loop(socket, ref)

      {:subscribe, topic} ->
        :ok = :gen_tcp.send(socket, frame(0x1, ~s({"type":"subscribe","topic":"#{topic}"})))
        loop(socket, ref)

      :ping ->
        # cowboy closes a connection idle for 2 minutes: a websocket ping keeps it open.
        :gen_tcp.send(socket, frame(0x9, ""))
        Process.send_after(self(), :ping, @ping_ms)
        loop(socket, ref)

      {:tcp_closed, ^socket} ->
        Agent.received(ref, 3, 4)
    end
  end

  # Markers, not a frame parser: a 1 KiB event fits one loopback segment, and the bench only
  # needs to know when a client READ its event, reconnect notice or subscribe reply.
  defp seen(ref, data) do
    if :binary.match(data, "\"seq:") != :nomatch, do: Agent.received(ref, 1, 2)
    if :binary.match(data, "\"reconnect\"") != :nomatch, do: Agent.received(ref, 5, 6)
  end

  # A client frame must be masked; a zero mask key is valid and leaves the payload as is.
  defp frame(opcode, payload) when byte_size(payload) < 126,
    do: <<1::1, 0::3, opcode::4, 1::1, byte_size(payload)::7, 0::32, payload::binary>>
end

[server, port, k, publishes_small, publishes_all, ips] = System.argv()
server = String.to_atom(server)
[port, k, publishes_small, publishes_all, ips] = Enum.map([port, k, publishes_small, publishes_all, ips], &String.to_integer/1)
core = Module.concat([System.get_env("FANOUT_CORE", "Billing")])
small = min(1000, k)
small_topic = "test.rooms.message.k1"
all_topic = "test.rooms.message.all"
ref = Agent.new_counters()
ms = fn t0 -> (System.monotonic_time(:microsecond) - t0) / 1000 end
rpc = fn fun, args -> :erpc.call(server, Agent, fun, args, 600_000) end

true = Node.connect(server)
{:module, ^agent} = :erpc.call(server, :code, :load_binary, [agent, ~c"agent.ex", agent_bin])
rpc.(:settle, [core, 100])
m0 = rpc.(:memory, [])

# Connect in waves of 500 (the listener's backlog is 1024), source addresses round-robin.
t = System.monotonic_time(:microsecond)
parent = self()

{clients, failed} =
  1..k
  |> Enum.chunk_every(500)
  |> Enum.reduce({[], []}, fn wave, {clients, failed} ->
    pids = for i <- wave, do: {i, FanoutBench.Client.start(parent, ref, {127, 0, 0, 2 + rem(i, ips)}, port, i)}

    Enum.reduce(pids, {clients, failed}, fn {i, pid}, {ok, bad} ->
      receive do
        {:ready, ^i} -> {[pid | ok], bad}
        {:failed, ^i, error} -> {ok, [inspect(error) | bad]}
      after
        60_000 -> {ok, ["timeout" | bad]}
      end
    end)
  end)

clients = Enum.reverse(clients)
connect_ms = ms.(t)
connected = length(clients)
rpc.(:settle, [core, 200])
m1 = rpc.(:memory, [])

# Both topics through the websocket protocol (subscribe frames; index and presence), every
# client of a topic at the same moment: first 1000 clients on the 1k topic, then all of them on
# the all-sessions topic. Counted on the service (its index), not from the replies.
await_subscribers = fn topic, target, deadline ->
  Stream.repeatedly(fn ->
    n = length(:erpc.call(server, Agent.fanout(core), :subscribers, [topic]))
    if n < target, do: Process.sleep(50)
    n
  end)
  |> Enum.find(&(&1 >= target or System.monotonic_time(:millisecond) > deadline))
end

subscribe_at_once = fn topic, subset ->
  t = System.monotonic_time(:microsecond)
  Enum.each(subset, &send(&1, {:subscribe, topic}))
  n = await_subscribers.(topic, length(subset), System.monotonic_time(:millisecond) + 120_000)
  {n, ms.(t)}
end

{subscribed_small, small_join_ms} = subscribe_at_once.(small_topic, Enum.take(clients, small))
{subscribed_all, subscribe_all_ms} = subscribe_at_once.(all_topic, clients)
rpc.(:settle, [core])
m2 = rpc.(:memory, [])
proc = rpc.(:process_memory, [core, small_topic])

# Then idle until every process hibernated (a websocket process does within 2 × hibernate_after_ms
# of its last frame): what a pod of idle connections holds.
hibernate_after = 2 * rpc.(:hibernate_after_ms, [core])
Process.sleep(hibernate_after + 3_000)
:erpc.call(server, :erlang, :garbage_collect, [])
m3 = rpc.(:memory, [])
proc_idle = rpc.(:process_memory, [core, small_topic])
hibernating = rpc.(:hibernating, [core])

stats = fn -> :erpc.call(server, Agent.fanout(core), :stats, []) end
evicted_while_joining = stats.().evicted

latency = fn topic, count ->
  for seq <- 1..count do
    Agent.reset(ref, [1, 2])
    {t0, t1, expected} = rpc.(:publish, [core, topic, Agent.payload(seq)])
    complete = Agent.await(ref, 1, expected, 60_000)
    last = :atomics.get(ref, 2)
    Process.sleep(5)
    {(last - t0) / 1000, (t1 - t0) / 1000, expected, complete}
  end
end

summary = fn samples ->
  %{
    "lastReceiptMs" => Agent.percentiles(for {l, _, _, true} <- samples, do: l),
    "publishCallMs" => Agent.percentiles(Enum.map(samples, &elem(&1, 1))),
    "reached" => samples |> Enum.map(&elem(&1, 2)) |> Enum.min(),
    "incomplete" => Enum.count(samples, &(not elem(&1, 3)))
  }
end

small_latency = summary.(latency.(small_topic, publishes_small))
all_latency = summary.(latency.(all_topic, publishes_all))
open_sessions = length(rpc.(:sessions, [core]))

# SIGTERM to the service's OS process: its Drainer suspends the listener and spreads the
# reconnect notices over the configured window (the profile's preStop drain).
os_pid = :erpc.call(server, :os, :getpid, [])
Agent.reset(ref, [3, 4, 5, 6])
t_wall = :os.system_time(:microsecond)
{_, 0} = System.cmd("kill", ["-TERM", to_string(os_pid)])
drain_timeout = String.to_integer(System.get_env("DRAIN_TIMEOUT_MS", "120000"))
all_told = Agent.await(ref, 5, open_sessions, drain_timeout)
all_closed = Agent.await(ref, 3, open_sessions, 15_000)

delta = fn key -> m2[key] - m0[key] end

result = %{
  "connections" => connected,
  "requested" => k,
  "failed" => length(failed),
  "failures" => failed |> Enum.frequencies() |> Enum.take(5) |> Map.new(),
  "sourceAddresses" => ips,
  "smallTopic" => small,
  "subscribed" => %{"smallTopicAtOnce" => subscribed_small, "allTopicAtOnce" => subscribed_all},
  "evictedWhileJoining" => evicted_while_joining,
  "setupMs" => %{"connect" => connect_ms, "join1kAtOnce" => small_join_ms, "joinAllAtOnce" => subscribe_all_ms},
  "memory" => %{
    "before" => m0,
    "connected" => m1,
    "subscribed" => m2,
    "totalBytesPerConnection" => delta.("total") / max(1, connected),
    "processesBytesPerConnection" => delta.("processes") / max(1, connected),
    "binaryBytesPerConnection" => delta.("binary") / max(1, connected),
    "etsBytesPerConnection" => delta.("ets") / max(1, connected),
    "rssBytesPerConnection" => delta.("rssBytes") / max(1, connected),
    "sessionProcessBytes" => proc["sessionBytes"] / max(1, proc["sessions"]),
    "websocketProcessBytes" => proc["transportBytes"] / max(1, proc["sessions"]),
    "byGroup" => proc["groups"],
    "idle" => %{
      "afterMs" => hibernate_after + 3_000,
      "subscribed" => m3,
      "totalBytesPerConnection" => (m3["total"] - m0["total"]) / max(1, connected),
      "processesBytesPerConnection" => (m3["processes"] - m0["processes"]) / max(1, connected),
      "rssBytesPerConnection" => (m3["rssBytes"] - m0["rssBytes"]) / max(1, connected),
      "sessionProcessBytes" => proc_idle["sessionBytes"] / max(1, proc_idle["sessions"]),
      "websocketProcessBytes" => proc_idle["transportBytes"] / max(1, proc_idle["sessions"]),
      "byGroup" => proc_idle["groups"],
      "hibernating" => hibernating
    }
  },
  "fanout1k" => small_latency,
  "fanoutAll" => all_latency,
  "drain" => %{
    "via" => "SIGTERM",
    "sessions" => open_sessions,
    "told" => :atomics.get(ref, 5),
    "closed" => :atomics.get(ref, 3),
    "allTold" => all_told,
    "allClosed" => all_closed,
    "lastToldMs" => (:atomics.get(ref, 6) - t_wall) / 1000,
    "lastClosedMs" => (:atomics.get(ref, 4) - t_wall) / 1000
  }
}

# The service's own JSON encoder, from its build (`-pa …/ebin`): the service node is gone by now.
IO.puts("BENCH_RESULT " <> IO.iodata_to_binary(Module.concat(core, JSON).encode(result)))
