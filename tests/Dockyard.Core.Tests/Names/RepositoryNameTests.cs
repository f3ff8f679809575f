using Dockyard.Core.Errors;
using Dockyard.Core.Names;

namespace Dockyard.Core.Tests.Names;

public sealed class RepositoryNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("alpine")]
    [InlineData("library/alpine")]
    [InlineData("a/b/c/d/e")]
    [InlineData("my.app")]
    [InlineData("my_app")]
    [InlineData("my__app")]
    [InlineData("my-app")]
    [InlineData("my---app")]
    [InlineData("a.b_c__d-e--f/g0")]
    [InlineData("123/456")]
    public void Valid_names_parse(string text)
    {
        Assert.True(RepositoryName.TryParse(text, out var name));
        Assert.Equal(text, name.Value);
        Assert.Equal(text, RepositoryName.Parse(text).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Alpine")]
    [InlineData("library/Alpine")]
    [InlineData("/alpine")]
    [InlineData("alpine/")]
    [InlineData("a//b")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("a..b")]
    [InlineData("a___b")]
    [InlineData("a_.b")]
    [InlineData("-a")]
    [InlineData("a-")]
    [InlineData("_a")]
    [InlineData("a/../b")]
    [InlineData("..")]
    [InlineData("a b")]
    [InlineData("a:b")]
    [InlineData("a@b")]
    [InlineData("é")]
    [InlineData("a\n")]
    public void Invalid_names_are_refused(string text)
    {
        Assert.False(RepositoryName.TryParse(text, out _));
        var error = Assert.Throws<RegistryException>(() => RepositoryName.Parse(text));
        Assert.Equal(RegistryErrorCode.NameInvalid, error.Code);
    }

    [Fact]
    public void Null_is_refused()
    {
        Assert.False(RepositoryName.TryParse(null, out _));
        Assert.Equal(RegistryErrorCode.NameInvalid, Assert.Throws<RegistryException>(() => RepositoryName.Parse(null)).Code);
    }

    [Fact]
    public void Names_up_to_255_characters_are_accepted()
    {
        var longest = string.Join('/', Enumerable.Repeat(new string('a', 50), 5)) + "/abcde"; // 5*50 + 4 + 6 = 260
        longest = longest[..255];
        Assert.Equal(255, longest.Length);
        Assert.True(RepositoryName.TryParse(longest.TrimEnd('/'), out _));
        Assert.True(RepositoryName.TryParse(new string('a', 255), out _));
        Assert.False(RepositoryName.TryParse(new string('a', 256), out _));
        Assert.False(RepositoryName.TryParse(string.Join('/', Enumerable.Repeat("ab", 86)), out _)); // 86*3-1 = 257
    }

    [Fact]
    public void Names_compare_by_value()
    {
        Assert.Equal(RepositoryName.Parse("a/b"), RepositoryName.Parse("a/b"));
        Assert.NotEqual(RepositoryName.Parse("a"), RepositoryName.Parse("a/b"));
    }
}
