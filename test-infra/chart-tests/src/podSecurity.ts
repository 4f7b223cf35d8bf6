/*
 * The Pod Security Standards, "restricted" profile (which includes "baseline"), as the
 * Kubernetes 1.35 admission controller enforces it (policy version "latest"):
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * Returns one message per violation, naming the control and the container.
 */
import type { Manifest } from './helm';

const ALLOWED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SELINUX_TYPES = [
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
];

export function restrictedViolations(pod: Manifest): string[] {
  const out: string[] = [];
  const psc = pod.securityContext ?? {};
  // baseline
  for (const ns of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (pod[ns]) out.push(`Host Namespaces: ${ns} must not be true`);
  }
  if (psc.windowsOptions?.hostProcess)
    out.push('HostProcess: pod windowsOptions.hostProcess must not be true');
  for (const v of pod.volumes ?? []) {
    const type = Object.keys(v).find(k => k !== 'name');
    if (type === 'hostPath')
      out.push(`HostPath Volumes: volume ${v.name} is a hostPath`);
    if (!type || !ALLOWED_VOLUME_TYPES.includes(type))
      out.push(`Volume Types: volume ${v.name} is of type ${type}`);
  }
  for (const s of psc.sysctls ?? []) {
    if (!SAFE_SYSCTLS.includes(s.name))
      out.push(`Sysctls: ${s.name} is not in the safe set`);
  }
  const podSeccomp = psc.seccompProfile?.type;
  if (podSeccomp === 'Unconfined')
    out.push('Seccomp: pod seccompProfile must not be Unconfined');
  if (psc.appArmorProfile?.type === 'Unconfined')
    out.push('AppArmor: pod appArmorProfile must not be Unconfined');
  checkSeLinux(psc.seLinuxOptions, 'pod', out);
  if (psc.runAsUser === 0)
    out.push('Running as Non-root user: pod runAsUser must not be 0');

  const containers: Manifest[] = [
    ...(pod.initContainers ?? []),
    ...(pod.containers ?? []),
    ...(pod.ephemeralContainers ?? []),
  ];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    if (sc.windowsOptions?.hostProcess)
      out.push(
        `HostProcess: ${where} windowsOptions.hostProcess must not be true`,
      );
    if (sc.privileged)
      out.push(`Privileged Containers: ${where} is privileged`);
    for (const p of c.ports ?? []) {
      if (p.hostPort)
        out.push(`Host Ports: ${where} uses hostPort ${p.hostPort}`);
    }
    if (sc.procMount && sc.procMount !== 'Default')
      out.push(`/proc Mount Type: ${where} procMount is ${sc.procMount}`);
    if (sc.appArmorProfile?.type === 'Unconfined')
      out.push(`AppArmor: ${where} appArmorProfile must not be Unconfined`);
    checkSeLinux(sc.seLinuxOptions, where, out);
    // restricted
    if (sc.allowPrivilegeEscalation !== false)
      out.push(
        `Privilege Escalation: ${where} must set allowPrivilegeEscalation: false`,
      );
    const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
    if (nonRoot !== true)
      out.push(
        `Running as Non-root: ${where} must run with runAsNonRoot: true (pod or container)`,
      );
    if (sc.runAsUser === 0)
      out.push(`Running as Non-root user: ${where} runAsUser must not be 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
      out.push(
        `Seccomp: ${where} must have seccompProfile RuntimeDefault or Localhost (pod or container)`,
      );
    }
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) out.push(`Capabilities: ${where} must drop ALL`);
    for (const cap of sc.capabilities?.add ?? []) {
      if (cap !== 'NET_BIND_SERVICE')
        out.push(`Capabilities: ${where} adds ${cap}`);
    }
  }
  return out;
}

function checkSeLinux(
  options: Manifest | undefined,
  where: string,
  out: string[],
) {
  if (!options) return;
  if (!SELINUX_TYPES.includes(options.type ?? ''))
    out.push(`SELinux: ${where} type ${options.type} is not allowed`);
  if (options.user || options.role)
    out.push(`SELinux: ${where} must not set user or role`);
}
