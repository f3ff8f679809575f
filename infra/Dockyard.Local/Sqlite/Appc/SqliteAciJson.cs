using System.Text.Json.Serialization;

namespace Dockyard.Local.Sqlite.Appc;

/// <summary>Source-generated JSON for the small columns of <see cref="SqliteAciStore"/>.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class SqliteAciJson : JsonSerializerContext;
