using Dockyard.Core.Names;

namespace Dockyard.Core.Tests.Names;

public sealed class TagTests
{
    [Theory]
    [InlineData("latest")]
    [InlineData("v1.0.0")]
    [InlineData("1")]
    [InlineData("_")]
    [InlineData("_internal")]
    [InlineData("UPPER-case_mixed.9")]
    [InlineData("a-")]
    [InlineData("a.")]
    [InlineData("sha256-0123abcd.sig")]
    public void Valid_tags(string tag) => Assert.True(Tag.IsValid(tag));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("with space")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a+b")]
    [InlineData("é")]
    [InlineData("latest\n")]
    public void Invalid_tags(string? tag) => Assert.False(Tag.IsValid(tag));

    [Fact]
    public void Tags_are_at_most_128_characters()
    {
        Assert.True(Tag.IsValid(new string('a', 128)));
        Assert.False(Tag.IsValid(new string('a', 129)));
    }
}
