using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PersonNameIndexMerged : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The new index first: searches keep an index while the old two go.
            migrationBuilder.CreateIndex(
                name: "IX_registry_persons_GridCode_NameInitials_Name_Id",
                table: "registry_persons",
                columns: new[] { "GridCode", "NameInitials", "Name", "Id" });

            migrationBuilder.DropIndex(
                name: "IX_registry_persons_GridCode_Name_Id",
                table: "registry_persons");

            migrationBuilder.DropIndex(
                name: "IX_registry_persons_GridCode_NameInitials_Id",
                table: "registry_persons");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_registry_persons_GridCode_NameInitials_Name_Id",
                table: "registry_persons");

            migrationBuilder.CreateIndex(
                name: "IX_registry_persons_GridCode_Name_Id",
                table: "registry_persons",
                columns: new[] { "GridCode", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_persons_GridCode_NameInitials_Id",
                table: "registry_persons",
                columns: new[] { "GridCode", "NameInitials", "Id" });
        }
    }
}
