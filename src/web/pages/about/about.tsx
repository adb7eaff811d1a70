/** The About page: version, storage engine and data folder, and nothing else (no settings, users or tokens). */

export interface AboutProps {
  version: string;
  engine: string;
  home: string | null;
}

export function AboutPage({ version, engine, home }: AboutProps): JSX.Element {
  return (
    <>
      <h1>About Databus</h1>
      <p>Databus moves data between systems: pullers fetch passengers, the queue keeps them, processors and pushers deliver them.</p>
      <dl class="facts about-facts">
        <dt>Version</dt>
        <dd data-test="version" safe>
          {version}
        </dd>
        <dt>Storage engine</dt>
        <dd data-test="engine" safe>
          {engine}
        </dd>
        <dt>Data folder</dt>
        <dd class="mono" data-test="home" safe>
          {home ?? "(not known)"}
        </dd>
      </dl>
    </>
  );
}
