using Dockyard.Launcher.Agent;

namespace Dockyard.P2P.Tests;

/// <summary>The bitfield a peer answers: what it encodes decodes back, and an answer longer than the blob needs is refused.</summary>
public sealed class PieceBitfieldTests
{
    [Fact]
    public void Pieces_encode_as_bits_from_the_high_bit_and_decode_back()
    {
        var text = PieceBitfield.Encode([0, 9, 17]);

        Assert.Equal(Convert.ToBase64String(new byte[] { 0x80, 0x40, 0x40 }), text);
        var bits = PieceBitfield.Decode(text, 20)!;
        Assert.Equal(new[] { 0, 9, 17 }, Enumerable.Range(0, 20).Where(i => bits[i]));
        Assert.Equal(new bool[20], PieceBitfield.Decode("", 20));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData(null)]
    public void Malformed_answers_are_refused(string? text) => Assert.Null(PieceBitfield.Decode(text, 8));

    [Fact]
    public void An_answer_naming_far_more_pieces_than_the_blob_has_is_refused() =>
        Assert.Null(PieceBitfield.Decode(PieceBitfield.Encode([1000]), 8));
}
