import { z } from 'zod';
import { ElixirFanout, EventContract, GoService, GrpcContract, RustHotPath, System, TsApi } from '../../constructs/index.js';

/** A small valid system using all four runtimes across three domains. */
export function smallSystem(props: { name?: string } = {}) {
  const system = new System({ name: props.name ?? 'shop', version: '2.3.0' });
  const pricing = new GrpcContract(system, 'pricing', { proto: 'contracts/shop/pricing/v1/pricing.proto', service: 'shop.pricing.v1.Pricing' });
  const orders = new GrpcContract(system, 'orders', { proto: 'contracts/shop/orders/v1/orders.proto', service: 'shop.orders.v1.Orders' });
  const orderPlaced = new EventContract(system, 'order-placed', {
    subject: 'shop.orders.placed.{region}',
    schema: z.object({ id: z.string(), region: z.string() }),
    stream: { name: 'ORDERS' },
  });
  const sales = system.domain('sales');
  const pricer = new RustHotPath(sales, 'pricer', { serves: [pricing], deadline: '15ms' });
  const orderService = new GoService(sales, 'orders', {
    serves: [orders],
    calls: [{ contract: pricing, timeout: '20ms', retries: 2 }],
    publishes: [orderPlaced],
    deadline: '150ms',
  });
  const live = new ElixirFanout(system.domain('live'), 'feed', {
    subscribes: [orderPlaced],
    websocket: { connections: 120_000, perPod: 40_000 },
  });
  const api = new TsApi(system.domain('edge'), 'api', {
    calls: [{ contract: orders, timeout: '200ms', retries: 1 }],
    ingress: { host: 'api.shop.example' },
    deadline: '500ms',
  });
  return { system, contracts: { pricing, orders, orderPlaced }, services: { pricer, orderService, live, api } };
}
