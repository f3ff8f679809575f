using System.Text;

namespace Dockyard.Ceph.Tests;

/// <summary>
/// The part and blob index objects: written as before (the serializer's camelCase JSON, byte for byte), read back
/// whatever the property order, with unknown properties skipped, and anything else refused as an invalid index.
/// </summary>
public sealed class RadosIndexesTests
{
    private const string PartJson = """{"size":9437185,"chunkSize":4194304,"chunks":3}""";
    private const string BlobJson = """{"size":9437185,"chunks":[{"object":"upload.u-1.p-1.0","size":4194304},{"object":"upload.u-1.p-1.1","size":5242881}]}""";

    [Fact]
    public void Indexes_are_written_as_the_serializer_wrote_them()
    {
        Assert.Equal(PartJson, Encoding.UTF8.GetString(RadosJson.Serialize(new PartIndex(9437185, 4 << 20, 3))));
        var blob = new BlobIndex(9437185, [new BlobChunk("upload.u-1.p-1.0", 4 << 20), new BlobChunk("upload.u-1.p-1.1", 5242881)]);
        Assert.Equal(BlobJson, Encoding.UTF8.GetString(RadosJson.Serialize(blob)));
    }

    [Fact]
    public void Indexes_read_back_in_any_order_skipping_unknown_properties()
    {
        Assert.Equal(new PartIndex(9437185, 4 << 20, 3), RadosJson.ReadPart(Encoding.UTF8.GetBytes(PartJson), "p"));
        var part = RadosJson.ReadPart("""{"chunks":2,"extra":{"a":[1,2]},"chunkSize":1024,"size":2000}"""u8.ToArray(), "p");
        Assert.Equal(new PartIndex(2000, 1024, 2), part);

        var blob = RadosJson.ReadBlob(Encoding.UTF8.GetBytes(BlobJson), "b");
        Assert.Equal(9437185, blob.Size);
        Assert.Equal(new[] { new BlobChunk("upload.u-1.p-1.0", 4 << 20), new BlobChunk("upload.u-1.p-1.1", 5242881) }, blob.Chunks);
        var reordered = RadosJson.ReadBlob("""{"chunks":[{"size":3,"note":"x","object":"o.0"}],"size":3}"""u8.ToArray(), "b");
        Assert.Equal(new[] { new BlobChunk("o.0", 3) }, reordered.Chunks);
        Assert.Empty(RadosJson.ReadBlob("""{"size":0,"chunks":[]}"""u8.ToArray(), "b").Chunks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"size\":1,\"chunkSize\":1}")]
    [InlineData("{\"size\":\"1\",\"chunkSize\":1,\"chunks\":1}")]
    [InlineData("{\"size\":1,\"chunkSize\":99999999999,\"chunks\":1}")]
    [InlineData("{\"size\":1,\"chunkSize\":1,\"chunks\":1")]
    [InlineData("{\"size\":1,\"chunkSize\":1,\"chunks\":1}{}")]
    public void A_malformed_part_index_is_invalid_data(string json)
    {
        var e = Assert.Throws<InvalidDataException>(() => RadosJson.ReadPart(Encoding.UTF8.GetBytes(json), "upload.u.p.idx"));
        Assert.Contains("upload.u.p.idx", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"size\":1}")]
    [InlineData("{\"size\":1,\"chunks\":{}}")]
    [InlineData("{\"size\":1,\"chunks\":[1]}")]
    [InlineData("{\"size\":1,\"chunks\":[{\"object\":\"o\"}]}")]
    [InlineData("{\"size\":1,\"chunks\":[{\"object\":7,\"size\":1}]}")]
    public void A_malformed_blob_index_is_invalid_data(string json) =>
        Assert.Throws<InvalidDataException>(() => RadosJson.ReadBlob(Encoding.UTF8.GetBytes(json), "blob.sha256.x.idx"));
}
