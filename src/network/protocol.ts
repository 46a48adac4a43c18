import { ValidationError } from '../core/errors';

// validator.go protocolRegex: the names are case-sensitive
const NAMES = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'];
const PORT_NUMBERS = [6, 17, 132];

/**
 * An IP protocol of a Calico rule: a name (`Protocol.TCP`) or a number 1-255.
 */
export class Protocol {
  /** TCP. */
  public static readonly TCP = new Protocol('TCP');
  /** UDP. */
  public static readonly UDP = new Protocol('UDP');
  /** SCTP. */
  public static readonly SCTP = new Protocol('SCTP');
  /** ICMP (IPv4). */
  public static readonly ICMP = new Protocol('ICMP');
  /** ICMPv6. */
  public static readonly ICMPV6 = new Protocol('ICMPv6');
  /** UDP-Lite. */
  public static readonly UDPLITE = new Protocol('UDPLite');

  /**
   * A protocol by number.
   *
   * @param protocolNumber 1-255 (0 is rejected)
   */
  public static of(protocolNumber: number): Protocol {
    if (!Number.isInteger(protocolNumber) || protocolNumber < 1 || protocolNumber > 255) {
      throw ValidationError.unscoped('Protocol.of', 'protocol', protocolNumber,
        'is not a valid protocol number: protocol number invalid; expected an integer from 1 to 255');
    }
    return new Protocol(undefined, protocolNumber);
  }

  /**
   * A protocol by name.
   *
   * @param name one of TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite (case-sensitive)
   */
  public static named(name: string): Protocol {
    if (!NAMES.includes(name)) {
      throw ValidationError.unscoped('Protocol.named', 'protocol', name,
        `is not a valid protocol name: protocol name invalid; expected one of ${NAMES.join(', ')} or a number 1-255`);
    }
    return new Protocol(name);
  }

  /** The protocol name, when given by name. */
  public readonly name?: string;
  /** The protocol number, when given by number. */
  public readonly number?: number;

  private constructor(name?: string, protocolNumber?: number) {
    this.name = name;
    this.number = protocolNumber;
  }

  /** True for TCP, UDP and SCTP (by name or number), the protocols rules may match ports of. */
  public get supportsPorts(): boolean {
    return this.number !== undefined ? PORT_NUMBERS.includes(this.number) : ['TCP', 'UDP', 'SCTP'].includes(this.name!);
  }

  /** The name or number as text. */
  public toString(): string {
    return this.name ?? String(this.number);
  }

  /** @internal the manifest value */
  public _json(): any {
    return this.name ?? this.number;
  }
}
