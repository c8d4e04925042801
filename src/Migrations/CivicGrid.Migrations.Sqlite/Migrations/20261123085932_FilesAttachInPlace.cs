using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CivicGrid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FilesAttachInPlace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_files_GridCode",
                table: "files");

            migrationBuilder.DropIndex(
                name: "IX_files_OwnerId",
                table: "files");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_files_GridCode",
                table: "files",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_files_OwnerId",
                table: "files",
                column: "OwnerId");
        }
    }
}
