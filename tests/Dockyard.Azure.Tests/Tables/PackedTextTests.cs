using System.Security.Cryptography;
using Azure.Data.Tables;
using Dockyard.Azure.Tables;
using Dockyard.Core.Errors;

namespace Dockyard.Azure.Tests.Tables;

/// <summary>Large strings packed into binary properties: round trips, chunking, and the refusal of what cannot fit an entity.</summary>
public sealed class PackedTextTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(300_000)]
    public void Text_round_trips_across_chunks(int randomBytes)
    {
        var text = "{\"é\":\"" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(randomBytes)) + "\"}";
        var entity = new TableEntity("p", "r");
        PackedText.Write(entity, "Json", text);
        Assert.Equal(text, PackedText.Read(entity, "Json"));
        Assert.All(entity.Select(p => p.Value).OfType<byte[]>(), chunk => Assert.True(chunk.Length <= 64 * 1024));
        Assert.Null(PackedText.Read(entity, "Other"));
    }

    [Fact]
    public void Text_that_compresses_beyond_an_entity_is_refused_as_too_large()
    {
        var text = Convert.ToBase64String(RandomNumberGenerator.GetBytes(PackedText.MaxPacked));
        var e = Assert.Throws<RegistryException>(() => PackedText.Write(new TableEntity("p", "r"), "Json", text));
        Assert.Equal(RegistryErrorCode.BodyTooLarge, e.Code);
        Assert.Contains("azuretables", e.Message, StringComparison.Ordinal);
    }
}
