/** The System page (root administrators): dispatcher state and actions, the instance, plugins, problems. */
import type { PluginInfo } from "../../../dispatcher/api";
import { Facts, Plugins, Problems, type InstanceFacts } from "./facts";
import { DispatcherStatePanel, type StateProps } from "./state";

export interface SystemProps {
  state: StateProps;
  facts: InstanceFacts;
  plugins: PluginInfo[];
  problems: string[];
}

export function SystemPage({ state, facts, plugins, problems }: SystemProps): JSX.Element {
  return (
    <>
      <h1>System</h1>
      <div class="system-top">
        <DispatcherStatePanel {...state} />
        <section class="card">
          <h2>Instance</h2>
          <Facts {...facts} />
        </section>
      </div>
      <h2>Plugins</h2>
      <Plugins plugins={plugins} />
      <h2>Configuration problems</h2>
      <Problems problems={problems} />
    </>
  );
}
