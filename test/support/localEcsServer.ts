import { startEcsServer, type EcsServer } from '../server/ecsServer';
import { ecsFixture } from './paths';

/**
 * Starts the local ECS API server on 127.0.0.1 with test/fixtures/ecs-fixture.json, or with the
 * fixture file that ECS_TEST_FIXTURE names. Port 0, the default, picks a free port.
 */
export function startLocalEcsServer(port?: number): Promise<EcsServer> {
  return startEcsServer({ port, fixture: process.env.ECS_TEST_FIXTURE ?? ecsFixture });
}
