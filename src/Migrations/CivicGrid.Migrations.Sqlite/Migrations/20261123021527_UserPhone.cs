using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class UserPhone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "PhoneCipher",
                table: "users",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "PhoneIndex",
                table: "users",
                type: "BLOB",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_users_PhoneIndex",
                table: "users",
                column: "PhoneIndex");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_users_PhoneIndex",
                table: "users");

            migrationBuilder.DropColumn(
                name: "PhoneCipher",
                table: "users");

            migrationBuilder.DropColumn(
                name: "PhoneIndex",
                table: "users");
        }
    }
}
