export { Environment, EnvironmentProps } from './environment';
export { EnvironmentChart, EnvironmentChartProps, IAppDefinition } from './environment-chart';
export { ArtifactDockerfile, ArtifactDockerfileOptions } from './artifact-dockerfile';
export { GitlabPipeline } from './gitlab-pipeline';
export { GitlabPipelineOptions, GitlabPipelineProps, ImageBuildTool, ToolImages } from './gitlab-pipeline-types';
export { Delivery, DeliveryProps } from './delivery';
