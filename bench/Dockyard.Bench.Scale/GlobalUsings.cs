global using Dockyard.Core.Blobs;
global using Dockyard.Core.Collection;
global using Dockyard.Core.Manifests;
global using Dockyard.Core.Metadata;
global using Dockyard.Core.Names;
