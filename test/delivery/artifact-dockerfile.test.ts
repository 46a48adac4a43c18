import { WarArtifact } from '../../src';
import { ArtifactDockerfile } from '../../src/delivery';

const artifact = WarArtifact.fromImage('registry.example.com/itil/wars:1.0', { wars: ['ROOT.war', 'itil.war'] });

test('a minimal base and the WARs, nothing else', () => {
  const text = ArtifactDockerfile.fromArtifact(artifact).render();
  const instructions = text.split('\n').filter(l => l.trim() && !l.startsWith('#'));
  expect(instructions).toEqual(['FROM busybox:1.36.1', 'COPY *.war /app_dir/']);
  expect(text).toContain('ROOT.war, itil.war');
});

test('the artifact path and the base image are honoured', () => {
  const d = ArtifactDockerfile.fromArtifact(
    WarArtifact.fromImage('r.example.com/x:1', { wars: ['a.war'], path: '/opt/wars' }),
    { baseImage: 'registry.example.com/base/busybox:1.36.1-uclibc' });
  expect(d.baseImage).toBe('registry.example.com/base/busybox:1.36.1-uclibc');
  expect(d.path).toBe('/opt/wars');
  expect(d.wars).toEqual(['a.war']);
  expect(d.render()).toContain('FROM registry.example.com/base/busybox:1.36.1-uclibc\nCOPY *.war /opt/wars/\n');
});

test('rejects a bad base image and a relative path, naming the field and the value', () => {
  expect(() => ArtifactDockerfile.fromArtifact(artifact, { baseImage: 'BusyBox' }))
    .toThrow('ArtifactDockerfile: baseImage: "BusyBox" is not a valid image reference');
  expect(() => ArtifactDockerfile.fromArtifact(WarArtifact.fromImage('r.example.com/x:1', { wars: ['a.war'], path: 'wars' })))
    .toThrow('ArtifactDockerfile: artifact.path: "wars" is not a valid absolute path');
});
