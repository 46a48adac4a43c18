import { AWS_ELASTIC_BLOCK_STORE } from './aws-elastic-block-store';
import { AZURE_DISK } from './azure-disk';
import { AZURE_FILE } from './azure-file';
import { BuiltinSpec } from './builtin-spec';
import { CEPH_RBD } from './ceph-rbd';
import { CEPHFS } from './cephfs';
import { CINDER } from './cinder';
import { CONFIG_MAP } from './config-map';
import { CSI } from './csi';
import { EMPTY_DIR } from './empty-dir';
import { FLOCKER } from './flocker';
import { GCE_PERSISTENT_DISK } from './gce-persistent-disk';
import { GLUSTERFS } from './glusterfs';
import { HOST_PATH } from './host-path';
import { ISCSI } from './iscsi';
import { NFS } from './nfs';
import { SECRET } from './secret';
import { VSPHERE_VOLUME } from './vsphere-volume';

/** Internal: every built-in plugin, in the order of the Kubernetes volume types page. */
export const BUILTIN_SPECS: ReadonlyArray<BuiltinSpec<any, any>> = [
  EMPTY_DIR, HOST_PATH, GCE_PERSISTENT_DISK, AWS_ELASTIC_BLOCK_STORE, ISCSI, CEPH_RBD, AZURE_FILE, AZURE_DISK,
  NFS, GLUSTERFS, FLOCKER, CEPHFS, SECRET, CONFIG_MAP, VSPHERE_VOLUME, CINDER, CSI,
];
