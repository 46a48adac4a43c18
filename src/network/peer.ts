import { Chart } from 'cdk8s';
import { GlobalNetworkSet, NetworkSet } from './network-set';
import { EntityRule } from './rule';
import { Selector } from './selector';
import { checkValue, is } from '../core/checks';
import { IWorkloadTarget } from '../core/workload-target';

/** The namespace label Kubernetes (1.21+) sets on every namespace; Calico sees it too. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * The other side of a connection, for presets and `AppNetwork`: pods,
 * namespaces, networks or network sets. `entity` is the Calico EntityRule.
 */
export class Peer {
  /**
   * Pods matching a selector, in one namespace or the policy's own.
   *
   * @param selector pod labels
   * @param namespace the pods' namespace
   */
  public static pods(selector: Selector, namespace?: string): Peer {
    checkValue('Peer.pods', 'selector', selector, is.instanceOf(Selector, 'e.g. Selector.label(\'app\').equals(\'web\')'));
    return new Peer({ selector, namespaceSelector: namespace === undefined ? undefined : Peer.namespaceSelector(namespace) },
      `pods ${selector.expression}${namespace ? ` in ${namespace}` : ''}`);
  }

  /**
   * Every pod of a namespace.
   *
   * @param name the namespace name
   */
  public static namespace(name: string): Peer {
    return new Peer({ namespaceSelector: Peer.namespaceSelector(name) }, `namespace ${name}`);
  }

  /**
   * Every pod of the namespaces matching a selector over namespace labels.
   *
   * @param selector namespace labels
   */
  public static namespaces(selector: Selector): Peer {
    return new Peer({ namespaceSelector: selector }, `namespaces ${selector.expression}`);
  }

  /**
   * The pods of a workload such as a TomcatApp.
   *
   * @param app the app
   */
  public static app(app: IWorkloadTarget): Peer {
    const ns = app.namespace ?? Chart.of(app).namespace;
    return new Peer({ selector: Peer.appSelector(app), namespaceSelector: ns === undefined ? undefined : Peer.namespaceSelector(ns) }, `app ${app.name}`);
  }

  /**
   * Addresses in networks (CIDRs).
   *
   * @param cidrs e.g. ['10.10.0.0/16']
   */
  public static nets(cidrs: string[]): Peer {
    return new Peer({ nets: cidrs }, `nets ${cidrs.join(', ')}`);
  }

  /**
   * The networks of a NetworkSet in the policy's namespace (Calico only).
   *
   * @param set the set
   */
  public static networkSet(set: NetworkSet): Peer {
    return new Peer({ selector: set.selector }, `network set ${set.name}`);
  }

  /**
   * The networks of a GlobalNetworkSet (Calico only).
   *
   * @param set the set
   */
  public static globalNetworkSet(set: GlobalNetworkSet): Peer {
    return new Peer({ selector: set.selector, namespaceSelector: Selector.global() }, `global network set ${set.name}`);
  }

  /**
   * A selector over namespace labels matching one namespace by name.
   *
   * @param name the namespace name
   */
  public static namespaceSelector(name: string): Selector {
    // a name that is not a namespace name can never match: refuse it
    checkValue('Peer.namespace', 'name', name, is.dnsLabel());
    return Selector.label(NAMESPACE_NAME_LABEL).equalTo(name);
  }

  /**
   * A selector matching exactly the pods of a workload such as a TomcatApp.
   *
   * @param app the app
   */
  public static appSelector(app: IWorkloadTarget): Selector {
    return Selector.matchLabels(app.deployment.matchLabels);
  }

  /** The source/destination match (without ports). */
  public readonly entity: EntityRule;
  /** A short description, e.g. 'namespace shop'. */
  public readonly description: string;

  private constructor(entity: EntityRule, description: string) {
    this.entity = entity;
    this.description = description;
  }
}
