using System.Text.Json;
using Dockyard.Core.Accounts;
using Dockyard.Http.Requests;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Http.Uam;

/// <summary>
/// A UAM request's JSON object body with typed field access. A body that is not a JSON object (or holds a string that is
/// not text), or a field of the wrong type, is a 400 INVALID_FIELD naming the field; absent fields read as null. Over
/// <see cref="MaxBytes"/>, declared or chunked, it is a 413 SIZE_INVALID.
/// </summary>
public sealed class UamBody
{
    public const int MaxBytes = 64 * 1024;
    private readonly JsonElement root;

    private UamBody(JsonElement root) => this.root = root;

    public static async Task<UamBody> ReadAsync(HttpRequest request)
    {
        try
        {
            using var document = await RequestBody.ReadJsonAsync(request, MaxBytes, "a UAM body");
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new UamBody(document.RootElement.Clone())
                : throw AccountNames.Invalid("body", null, "must be a JSON object");
        }
        catch (JsonException e)
        {
            throw AccountNames.Invalid("body", null, "must be a JSON object: " + e.Message);
        }
    }

    public string? String(string field) => Get(field) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw AccountNames.Invalid(field, null, "must be a string"),
    };

    /// <summary>Numbers, also accepted as numeric strings ("3"), since the original clients sent both.</summary>
    public int? Int(string field) => Get(field) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var n) => n,
        { ValueKind: JsonValueKind.String } value when int.TryParse(value.GetString(), out var n) => n,
        _ => throw AccountNames.Invalid(field, null, "must be a number"),
    };

    /// <summary>Booleans, also accepted as "true"/"false" strings.</summary>
    public bool? Bool(string field) => Get(field) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } value when bool.TryParse(value.GetString(), out var b) => b,
        _ => throw AccountNames.Invalid(field, null, "must be true or false"),
    };

    private JsonElement? Get(string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
